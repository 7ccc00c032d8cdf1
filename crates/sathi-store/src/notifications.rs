//! In-app notifications: one row per recipient, written in the same transaction as the
//! transition it reports (a referral, transfer or approval decision, a reassignment).
//!
//! A row holds the kind and ids only. The server renders the title and body in the reader's
//! language when the list is read, so a row never contains a name or a field value.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreResult;
use crate::scope::{Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, utc};

/// Every notification kind, as stored in `notifications.kind`. Each has the messages
/// `notification-<kind>-title` and `notification-<kind>-body` in `locales/*/sathi.ftl`.
pub const NOTIFICATION_KINDS: [&str; 16] = [
    "referral_received",
    "referral_accepted",
    "referral_rejected",
    "referral_revoked",
    "referral_done",
    "referral_ended",
    "referral_ended_by_transfer",
    "transfer_received",
    "transfer_accepted",
    "transfer_rejected",
    "transfer_revoked",
    "transfer_request_received",
    "approval_requested",
    "approval_approved",
    "approval_rejected",
    "case_assigned",
];

/// A notification to write: `subject_id` is the referral, transfer or approval it is about.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub kind: &'static str,
    pub case_id: Option<CaseId>,
    pub subject_id: Option<Uuid>,
    pub actor_id: Option<UserId>,
    pub now: OffsetDateTime,
}

/// A stored notification with what its messages need: the case's display id, the actor's
/// full name, and the kind of the approval it is about, if any.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: Uuid,
    pub kind: String,
    pub case_id: Option<CaseId>,
    pub display_id: Option<String>,
    pub subject_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub approval_kind: Option<String>,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

/// Which notifications [`NotificationStore::mark_notifications_read`] marks.
#[derive(Debug, Clone)]
pub enum ReadSelection {
    All,
    Ids(Vec<Uuid>),
}

/// Reading and marking one user's notifications. Writers use the `pub(crate)` helpers
/// `insert_notification_tx` and `notify_agency_roles_tx` inside their own transaction.
#[async_trait]
pub trait NotificationStore {
    /// Returns the number of unread notifications of `user` and the newest `limit` of them,
    /// newest first.
    async fn notifications(&self, user: UserId, limit: i64) -> StoreResult<(i64, Vec<Notification>)>;

    /// Marks notifications of `user` read and returns the number still unread. Ids of other
    /// users' notifications are ignored.
    async fn mark_notifications_read(
        &self,
        user: UserId,
        selection: &ReadSelection,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;
}

const NOTIFICATION_SELECT: &str = "SELECT n.id, n.kind, n.case_id, c.display_id, n.subject_id, u.full_name AS actor_name, \
     a.kind AS approval_kind, n.created_at, n.read_at FROM notifications n \
     LEFT JOIN cases c ON c.id = n.case_id LEFT JOIN users u ON u.id = n.actor_id \
     LEFT JOIN approvals a ON a.id = n.subject_id";

macro_rules! notification_store {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Inserts one notification for `recipient` inside `tx`. A notification to the actor
            /// about their own action is skipped.
            pub(crate) async fn insert_notification_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                recipient: UserId,
                notification: &NewNotification,
            ) -> StoreResult<()> {
                if notification.actor_id == Some(recipient) {
                    return Ok(());
                }
                Self::query(
                    "INSERT INTO notifications (id, user_id, kind, case_id, subject_id, actor_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(Uuid::now_v7())
                .bind(recipient.0)
                .bind(notification.kind)
                .bind(notification.case_id.map(|case| case.0))
                .bind(notification.subject_id)
                .bind(notification.actor_id.map(|user| user.0))
                .bind(utc(notification.now))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Inserts the notification for every active user of `agency_id` whose role is one
            /// of `role_ids`, inside `tx`, and returns how many were written. The server picks
            /// the roles from the configuration, such as those that receive referrals.
            #[allow(dead_code)]
            pub(crate) async fn notify_agency_roles_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                agency_id: &str,
                role_ids: &[String],
                notification: &NewNotification,
            ) -> StoreResult<u64> {
                if role_ids.is_empty() {
                    return Ok(0);
                }
                let mut builder = SqlBuilder::new("SELECT id FROM users WHERE disabled = ");
                builder.push_bind(Bind::Bool(false)).push(" AND agency_id = ");
                builder.push_bind(Bind::Text(agency_id.to_owned())).push(" AND role_id IN (");
                let roles: Vec<String> =
                    role_ids.iter().map(|role| builder.bind(Bind::Text(role.clone()))).collect();
                builder.push(&roles.join(", ")).push(")");
                let rows = Self::query_built(builder).fetch_all(&mut **tx).await?;
                let mut written = 0;
                for row in rows {
                    let recipient = UserId(row.try_get("id")?);
                    if notification.actor_id != Some(recipient) {
                        Self::insert_notification_tx(tx, recipient, notification).await?;
                        written += 1;
                    }
                }
                Ok(written)
            }

            fn notification_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Notification> {
                let case_id: Option<Uuid> = row.try_get("case_id")?;
                Ok(Notification {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    case_id: case_id.map(CaseId),
                    display_id: row.try_get("display_id")?,
                    subject_id: row.try_get("subject_id")?,
                    actor_name: row.try_get("actor_name")?,
                    approval_kind: row.try_get("approval_kind")?,
                    created_at: row.try_get("created_at")?,
                    read_at: row.try_get("read_at")?,
                })
            }

            async fn unread_count(&self, user: UserId) -> StoreResult<i64> {
                let row = Self::query(
                    "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                )
                .bind(user.0)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.try_get("n")?)
            }
        }

        #[async_trait]
        impl NotificationStore for $store {
            async fn notifications(&self, user: UserId, limit: i64) -> StoreResult<(i64, Vec<Notification>)> {
                let rows = Self::query(&format!(
                    "{NOTIFICATION_SELECT} WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2"
                ))
                .bind(user.0)
                .bind(limit.clamp(1, 200))
                .fetch_all(&self.pool)
                .await?;
                let items = rows.iter().map(Self::notification_from_row).collect::<StoreResult<Vec<_>>>()?;
                Ok((self.unread_count(user).await?, items))
            }

            async fn mark_notifications_read(
                &self,
                user: UserId,
                selection: &ReadSelection,
                now: OffsetDateTime,
            ) -> StoreResult<i64> {
                let mut builder = SqlBuilder::new("UPDATE notifications SET read_at = ");
                builder.push_bind(Bind::Time(utc(now))).push(" WHERE user_id = ");
                builder.push_bind(Bind::Uuid(user.0)).push(" AND read_at IS NULL");
                match selection {
                    ReadSelection::All => {}
                    ReadSelection::Ids(ids) if ids.is_empty() => return self.unread_count(user).await,
                    ReadSelection::Ids(ids) => {
                        let placeholders: Vec<String> =
                            ids.iter().map(|id| builder.bind(Bind::Uuid(*id))).collect();
                        builder.push(&format!(" AND id IN ({})", placeholders.join(", ")));
                    }
                }
                Self::query_built(builder).execute(&self.pool).await?;
                self.unread_count(user).await
            }
        }
    };
}

notification_store!(SqliteStore, sqlx::Sqlite);
notification_store!(PostgresStore, sqlx::Postgres);
