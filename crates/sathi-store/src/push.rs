//! Web push: browsers' push subscriptions, the server's VAPID key, and the queue of
//! notifications to deliver to them.
//!
//! A notification row (see `notifications.rs`) is claimed once by setting `pushed_at`, in the
//! same transaction that queues one `push_deliveries` row per subscription of its recipient.
//! Workers then take due deliveries under a lease and report each outcome. Every step is an
//! `UPDATE ... WHERE` on the row's current state, so several server processes on one database
//! never send the same notification to the same subscription twice. The exception is a worker
//! that dies between sending and reporting: after its lease expires, another worker sends again.
//!
//! This module stores and queues. Encryption, signing and HTTP belong to the server.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use secrecy::{ExposeSecret, SecretString};
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreResult;
use crate::notifications::Notification;
use crate::sql::{PostgresStore, SqliteStore, utc};

/// `store_settings` key of the VAPID private key: the P-256 scalar, base64url without padding.
const VAPID_PRIVATE_KEY: &str = "push_vapid_private_key";

/// A browser's push service URL. Anyone who has it can send messages to that browser, so
/// `Debug` never prints it and logs name the subscription id instead.
#[derive(Clone, PartialEq, Eq)]
pub struct PushEndpoint(String);

impl PushEndpoint {
    pub fn new(url: impl Into<String>) -> Self {
        PushEndpoint(url.into())
    }

    /// Returns the URL, for the HTTP request and for the subscriber's own view only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PushEndpoint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PushEndpoint(<redacted>)")
    }
}

/// A subscription to store, as the browser's `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone)]
pub struct NewPushSubscription {
    pub endpoint: PushEndpoint,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The browser's 16-byte authentication secret, base64url.
    pub auth: String,
}

#[derive(Debug, Clone)]
pub struct PushSubscription {
    pub id: Uuid,
    pub user_id: UserId,
    pub endpoint: PushEndpoint,
    pub p256dh: String,
    pub auth: String,
    pub created_at: OffsetDateTime,
    /// A short description of the last failed delivery, such as `HTTP 503`.
    pub last_error: Option<String>,
    /// Failed deliveries since the last success.
    pub failures: i64,
}

/// Result of [`PushStore::save_push_subscription`].
#[derive(Debug, Clone)]
pub struct SavedSubscription {
    pub subscription: PushSubscription,
    /// The user the endpoint belonged to before, when another user of the same browser
    /// subscribed it. Their queued deliveries to it were dropped.
    pub moved_from: Option<UserId>,
}

/// One notification to send to one subscription, with what the message needs.
#[derive(Debug, Clone)]
pub struct PushDelivery {
    pub subscription: PushSubscription,
    /// The recipient's interface language, which the message is rendered in.
    pub locale: String,
    pub notification: Notification,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// The result of one delivery attempt, which [`PushStore::finish_push_delivery`] records.
#[derive(Debug, Clone)]
pub enum DeliveryOutcome {
    /// The push service accepted the message.
    Delivered,
    /// The push service returned 404 or 410: the browser unsubscribed, so the subscription and
    /// everything queued for it are deleted.
    Gone,
    /// The attempt failed. `error` is a short description for `last_error`, never a URL. The
    /// delivery is tried again at `retry_at`, or dropped when that is `None`.
    Failed { error: String, retry_at: Option<OffsetDateTime> },
    /// The delivery no longer applies (the recipient was disabled, the notification was read or
    /// the subscription changed hands), so it is dropped without counting a failure.
    Dropped,
}

/// Rows waiting for the push worker, for tests and monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushBacklog {
    /// Notifications not claimed yet.
    pub unclaimed: i64,
    /// Deliveries queued, including those under a lease or waiting for a retry.
    pub deliveries: i64,
}

/// Push subscriptions of users, the VAPID key, and the delivery queue.
#[async_trait]
pub trait PushStore {
    /// Returns the stored VAPID private key, storing `candidate` first if none is stored. Every
    /// process that starts with a new candidate gets the one key that was stored first.
    async fn vapid_private_key(&self, candidate: SecretString) -> StoreResult<SecretString>;

    /// Stores the subscription for `user`. An endpoint that exists already is updated with the
    /// new keys, and moves to `user` if another user had it (one browser, a new login).
    async fn save_push_subscription(
        &self,
        user: UserId,
        subscription: &NewPushSubscription,
        now: OffsetDateTime,
    ) -> StoreResult<SavedSubscription>;

    /// Returns the subscriptions of `user`, oldest first.
    async fn push_subscriptions(&self, user: UserId) -> StoreResult<Vec<PushSubscription>>;

    /// Deletes the subscription with `endpoint` if it belongs to `user`, and returns whether one
    /// was deleted. Another user's endpoint reads as missing.
    async fn delete_push_subscription(&self, user: UserId, endpoint: &str) -> StoreResult<bool>;

    /// Claims up to `limit` notifications not claimed yet, oldest first, and queues a delivery,
    /// due at `now`, to each subscription of each claimed notification's recipient unless the
    /// recipient is disabled or the notification was created before `oldest`. Returns the number
    /// of deliveries queued and whether `limit` notifications were claimed (more may wait).
    async fn claim_push_notifications(
        &self,
        now: OffsetDateTime,
        oldest: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<(u64, bool)>;

    /// Takes up to `limit` deliveries due at `now`, counts an attempt on each and leases them
    /// until `lease_until`, and returns them with the message's data.
    async fn claim_push_deliveries(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<PushDelivery>>;

    /// Records the outcome of an attempt of the delivery of `notification` to `subscription`.
    async fn finish_push_delivery(
        &self,
        notification: Uuid,
        subscription: Uuid,
        outcome: &DeliveryOutcome,
    ) -> StoreResult<()>;

    /// Counts the notifications not claimed yet and the deliveries queued.
    async fn push_backlog(&self) -> StoreResult<PushBacklog>;
}

const SUBSCRIPTION_COLUMNS: &str = "id, user_id, endpoint, p256dh, auth, created_at, last_error, failures";

/// The delivery, its subscription, the recipient's language and the notification with the
/// joins that `notifications.rs` makes for the in-app list.
const DELIVERY_SELECT: &str = "SELECT d.attempts, s.id AS subscription_id, s.user_id AS subscriber_id, s.endpoint, \
     s.p256dh, s.auth, s.created_at AS subscribed_at, s.last_error, s.failures, u.locale, u.disabled, \
     n.id AS notification_id, n.user_id AS recipient_id, n.kind, n.case_id, c.display_id, n.subject_id, \
     actor.full_name AS actor_name, a.kind AS approval_kind, n.created_at, n.read_at \
     FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id \
     JOIN users u ON u.id = s.user_id JOIN notifications n ON n.id = d.notification_id \
     LEFT JOIN cases c ON c.id = n.case_id LEFT JOIN users actor ON actor.id = n.actor_id \
     LEFT JOIN approvals a ON a.id = n.subject_id \
     WHERE d.notification_id = $1 AND d.subscription_id = $2";

macro_rules! push_store {
    ($store:ident, $db:ty) => {
        impl $store {
            fn subscription_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<PushSubscription> {
                Ok(PushSubscription {
                    id: row.try_get("id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    endpoint: PushEndpoint(row.try_get("endpoint")?),
                    p256dh: row.try_get("p256dh")?,
                    auth: row.try_get("auth")?,
                    created_at: row.try_get("created_at")?,
                    last_error: row.try_get("last_error")?,
                    failures: row.try_get("failures")?,
                })
            }

            /// Reads one claimed delivery, or `None` when it should be dropped: the recipient
            /// is disabled, has read the notification already, or no longer owns the
            /// subscription.
            async fn delivery(&self, notification: Uuid, subscription: Uuid) -> StoreResult<Option<PushDelivery>> {
                let Some(row) = Self::query(DELIVERY_SELECT)
                    .bind(notification)
                    .bind(subscription)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let subscriber: Uuid = row.try_get("subscriber_id")?;
                let recipient: Uuid = row.try_get("recipient_id")?;
                let disabled: bool = row.try_get("disabled")?;
                let read_at: Option<OffsetDateTime> = row.try_get("read_at")?;
                if subscriber != recipient || disabled || read_at.is_some() {
                    return Ok(None);
                }
                let case_id: Option<Uuid> = row.try_get("case_id")?;
                Ok(Some(PushDelivery {
                    subscription: PushSubscription {
                        id: row.try_get("subscription_id")?,
                        user_id: UserId(subscriber),
                        endpoint: PushEndpoint(row.try_get("endpoint")?),
                        p256dh: row.try_get("p256dh")?,
                        auth: row.try_get("auth")?,
                        created_at: row.try_get("subscribed_at")?,
                        last_error: row.try_get("last_error")?,
                        failures: row.try_get("failures")?,
                    },
                    locale: row.try_get("locale")?,
                    notification: Notification {
                        id: row.try_get("notification_id")?,
                        kind: row.try_get("kind")?,
                        case_id: case_id.map(CaseId),
                        display_id: row.try_get("display_id")?,
                        subject_id: row.try_get("subject_id")?,
                        actor_name: row.try_get("actor_name")?,
                        approval_kind: row.try_get("approval_kind")?,
                        created_at: row.try_get("created_at")?,
                        read_at,
                    },
                    attempts: row.try_get("attempts")?,
                }))
            }
        }

        #[async_trait]
        impl PushStore for $store {
            async fn vapid_private_key(&self, candidate: SecretString) -> StoreResult<SecretString> {
                Self::query("INSERT INTO store_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                    .bind(VAPID_PRIVATE_KEY)
                    .bind(candidate.expose_secret())
                    .execute(&self.pool)
                    .await?;
                let row = Self::query("SELECT value FROM store_settings WHERE key = $1")
                    .bind(VAPID_PRIVATE_KEY)
                    .fetch_one(&self.pool)
                    .await?;
                let stored: String = row.try_get("value")?;
                Ok(SecretString::from(stored))
            }

            async fn save_push_subscription(
                &self,
                user: UserId,
                subscription: &NewPushSubscription,
                now: OffsetDateTime,
            ) -> StoreResult<SavedSubscription> {
                let mut tx = self.begin_write().await?;
                let previous: Option<Uuid> =
                    Self::query("SELECT user_id FROM push_subscriptions WHERE endpoint = $1")
                        .bind(subscription.endpoint.expose())
                        .fetch_optional(&mut *tx)
                        .await?
                        .map(|row| row.try_get("user_id"))
                        .transpose()?;
                let moved_from = previous.filter(|owner| *owner != user.0).map(UserId);
                if moved_from.is_some() {
                    // Messages queued for the previous user must not reach the new one.
                    Self::query(
                        "DELETE FROM push_deliveries WHERE subscription_id IN \
                         (SELECT id FROM push_subscriptions WHERE endpoint = $1)",
                    )
                    .bind(subscription.endpoint.expose())
                    .execute(&mut *tx)
                    .await?;
                }
                let row = Self::query(&format!(
                    "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at, failures) \
                     VALUES ($1, $2, $3, $4, $5, $6, 0) \
                     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, \
                     auth = excluded.auth, last_error = NULL, failures = 0 \
                     RETURNING {SUBSCRIPTION_COLUMNS}"
                ))
                .bind(Uuid::now_v7())
                .bind(user.0)
                .bind(subscription.endpoint.expose())
                .bind(&subscription.p256dh)
                .bind(&subscription.auth)
                .bind(utc(now))
                .fetch_one(&mut *tx)
                .await?;
                let saved = Self::subscription_from_row(&row)?;
                tx.commit().await?;
                Ok(SavedSubscription { subscription: saved, moved_from })
            }

            async fn push_subscriptions(&self, user: UserId) -> StoreResult<Vec<PushSubscription>> {
                let rows = Self::query(&format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id"
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::subscription_from_row).collect()
            }

            async fn delete_push_subscription(&self, user: UserId, endpoint: &str) -> StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                Self::query(
                    "DELETE FROM push_deliveries WHERE subscription_id IN \
                     (SELECT id FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2)",
                )
                .bind(endpoint)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
                let deleted = Self::query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2")
                    .bind(endpoint)
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(deleted > 0)
            }

            async fn claim_push_notifications(
                &self,
                now: OffsetDateTime,
                oldest: OffsetDateTime,
                limit: i64,
            ) -> StoreResult<(u64, bool)> {
                let mut tx = self.begin_write().await?;
                // On PostgreSQL a concurrent claim of the same rows waits for this one and then
                // finds `pushed_at` set, so it skips them. SQLite runs one write at a time.
                let claimed = Self::query(
                    "UPDATE notifications SET pushed_at = $1 WHERE pushed_at IS NULL AND id IN \
                     (SELECT id FROM notifications WHERE pushed_at IS NULL ORDER BY created_at LIMIT $2) \
                     RETURNING id, user_id, created_at",
                )
                .bind(utc(now))
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                let mut queued = 0;
                for row in &claimed {
                    let created_at: OffsetDateTime = row.try_get("created_at")?;
                    if created_at < oldest {
                        continue;
                    }
                    let notification: Uuid = row.try_get("id")?;
                    let recipient: Uuid = row.try_get("user_id")?;
                    queued += Self::query(
                        "INSERT INTO push_deliveries (notification_id, subscription_id, attempts, next_attempt_at) \
                         SELECT $1, s.id, 0, $2 FROM push_subscriptions s JOIN users u ON u.id = s.user_id \
                         WHERE s.user_id = $3 AND u.disabled = $4",
                    )
                    .bind(notification)
                    .bind(utc(now))
                    .bind(recipient)
                    .bind(false)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
                tx.commit().await?;
                let full = i64::try_from(claimed.len()).unwrap_or(i64::MAX) >= limit;
                Ok((queued, full))
            }

            async fn claim_push_deliveries(
                &self,
                now: OffsetDateTime,
                lease_until: OffsetDateTime,
                limit: i64,
            ) -> StoreResult<Vec<PushDelivery>> {
                let claimed = Self::query(
                    "UPDATE push_deliveries SET attempts = attempts + 1, next_attempt_at = $2 \
                     WHERE next_attempt_at <= $1 AND (notification_id, subscription_id) IN \
                     (SELECT notification_id, subscription_id FROM push_deliveries \
                      WHERE next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $3) \
                     RETURNING notification_id, subscription_id",
                )
                .bind(utc(now))
                .bind(utc(lease_until))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                let mut deliveries = Vec::with_capacity(claimed.len());
                for row in &claimed {
                    let notification: Uuid = row.try_get("notification_id")?;
                    let subscription: Uuid = row.try_get("subscription_id")?;
                    match self.delivery(notification, subscription).await? {
                        Some(delivery) => deliveries.push(delivery),
                        None => {
                            self.finish_push_delivery(notification, subscription, &DeliveryOutcome::Dropped)
                                .await?
                        }
                    }
                }
                Ok(deliveries)
            }

            async fn finish_push_delivery(
                &self,
                notification: Uuid,
                subscription: Uuid,
                outcome: &DeliveryOutcome,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let delete_delivery =
                    "DELETE FROM push_deliveries WHERE notification_id = $1 AND subscription_id = $2";
                match outcome {
                    DeliveryOutcome::Delivered => {
                        Self::query(delete_delivery).bind(notification).bind(subscription).execute(&mut *tx).await?;
                        Self::query("UPDATE push_subscriptions SET failures = 0, last_error = NULL WHERE id = $1")
                            .bind(subscription)
                            .execute(&mut *tx)
                            .await?;
                    }
                    DeliveryOutcome::Gone => {
                        Self::query("DELETE FROM push_deliveries WHERE subscription_id = $1")
                            .bind(subscription)
                            .execute(&mut *tx)
                            .await?;
                        Self::query("DELETE FROM push_subscriptions WHERE id = $1")
                            .bind(subscription)
                            .execute(&mut *tx)
                            .await?;
                    }
                    DeliveryOutcome::Failed { error, retry_at } => {
                        Self::query(
                            "UPDATE push_subscriptions SET failures = failures + 1, last_error = $2 WHERE id = $1",
                        )
                        .bind(subscription)
                        .bind(error.as_str())
                        .execute(&mut *tx)
                        .await?;
                        match retry_at {
                            Some(retry_at) => {
                                Self::query(
                                    "UPDATE push_deliveries SET next_attempt_at = $3 \
                                     WHERE notification_id = $1 AND subscription_id = $2",
                                )
                                .bind(notification)
                                .bind(subscription)
                                .bind(utc(*retry_at))
                                .execute(&mut *tx)
                                .await?;
                            }
                            None => {
                                Self::query(delete_delivery)
                                    .bind(notification)
                                    .bind(subscription)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                    }
                    DeliveryOutcome::Dropped => {
                        Self::query(delete_delivery).bind(notification).bind(subscription).execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn push_backlog(&self) -> StoreResult<PushBacklog> {
                let row = Self::query(
                    "SELECT (SELECT COUNT(*) FROM notifications WHERE pushed_at IS NULL) AS unclaimed, \
                     (SELECT COUNT(*) FROM push_deliveries) AS deliveries",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(PushBacklog { unclaimed: row.try_get("unclaimed")?, deliveries: row.try_get("deliveries")? })
            }
        }
    };
}

push_store!(SqliteStore, sqlx::Sqlite);
push_store!(PostgresStore, sqlx::Postgres);
