//! Attachments of case fields (photos, audio, documents, signatures): their metadata, and their
//! bytes as chunks in the database.
//!
//! An upload is registered with its size and SHA-256, then receives chunks in order. When the
//! last byte arrives, the store hashes the chunks in order. A match marks the attachment
//! `verified`, and a mismatch deletes the chunks so the upload starts again. Every method takes the
//! caller's [`Principal`] and applies the scope of the attachment's case inside its SQL, so an
//! attachment of a case outside the scope reads exactly like a missing one.
//!
//! This module does not check the role's action grants or form access, and it does not limit
//! sizes or content types: the server does, as it does for case writes.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, utc};
use crate::{StoreError, StoreResult};

/// An attachment's id, made by the device that took the photo, so a repeated registration
/// finds the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AttachmentId(pub Uuid);

impl std::fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentStatus {
    /// Some bytes are still missing, or none arrived yet.
    Uploading,
    /// Every byte arrived and the SHA-256 of the bytes equals the registered one.
    Verified,
}

impl AttachmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentStatus::Uploading => "uploading",
            AttachmentStatus::Verified => "verified",
        }
    }

    fn parse(value: &str) -> StoreResult<Self> {
        match value {
            "uploading" => Ok(AttachmentStatus::Uploading),
            "verified" => Ok(AttachmentStatus::Verified),
            other => Err(StoreError::Corrupt(format!("unknown attachment status '{other}'"))),
        }
    }
}

/// The metadata a device registers before it sends the bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttachment {
    pub id: AttachmentId,
    pub case_id: CaseId,
    pub field_id: String,
    pub file_name: String,
    pub content_type: String,
    /// Length of the whole file in bytes.
    pub size: i64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub case_id: CaseId,
    pub field_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Bytes stored so far; the next chunk must start here.
    pub received: i64,
    pub status: AttachmentStatus,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub verified_at: Option<OffsetDateTime>,
}

impl Attachment {
    /// Returns whether `new` names the same file as this attachment, so registering it again is a retry.
    pub fn same_file_as(&self, new: &NewAttachment) -> bool {
        self.case_id == new.case_id
            && self.field_id == new.field_id
            && self.file_name == new.file_name
            && self.content_type == new.content_type
            && self.size == new.size
            && self.sha256.eq_ignore_ascii_case(&new.sha256)
    }
}

/// The result of registering an upload whose case is in the caller's write scope.
#[derive(Debug, Clone, PartialEq)]
pub enum Registration {
    /// The attachment was registered now.
    Created(Attachment),
    /// An earlier registration of the same file (the device lost the response), with its progress.
    Existing(Attachment),
    /// The id is taken by an attachment with other metadata.
    IdTaken,
}

/// The result of appending a chunk to an attachment in the caller's write scope.
#[derive(Debug, Clone, PartialEq)]
pub enum Append {
    /// The chunk was stored. The attachment is `verified` if it was the last one.
    Stored(Attachment),
    /// The chunk does not start at `received`, or the upload is already verified; nothing changed.
    WrongOffset(Attachment),
    /// The chunk would make the file longer than its registered size; nothing changed.
    TooLong(Attachment),
    /// The last byte arrived, but the SHA-256 differs. The chunks were deleted and `received`
    /// is 0 again.
    HashMismatch(Attachment),
}

/// Storage of attachments, always within the scope of the attachment's case.
#[async_trait]
pub trait AttachmentStore {
    /// Registers an upload if the case exists and is in `principal`'s write scope; `Ok(None)`
    /// for a missing and an out-of-scope case alike.
    async fn register_attachment(
        &self,
        principal: &Principal,
        attachment: &NewAttachment,
    ) -> StoreResult<Option<Registration>>;

    /// Reads an attachment's metadata if `principal` may do `action` on its case.
    async fn attachment(
        &self,
        principal: &Principal,
        id: AttachmentId,
        action: Action,
    ) -> StoreResult<Option<Attachment>>;

    /// Appends `bytes` at `offset` if `principal` may write the attachment's case, and verifies
    /// the file when it is complete.
    async fn append_attachment(
        &self,
        principal: &Principal,
        id: AttachmentId,
        offset: i64,
        bytes: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Option<Append>>;

    /// Reads the bytes of an attachment whose case `principal` may read. Only verified
    /// attachments have content; `Ok(None)` otherwise.
    async fn attachment_content(
        &self,
        principal: &Principal,
        id: AttachmentId,
    ) -> StoreResult<Option<(Attachment, Vec<u8>)>>;

    /// Deletes uploads registered before `before` that never completed, with their bytes, and
    /// returns how many went. A device that still holds such a file registers it again.
    async fn purge_unfinished_uploads(&self, before: OffsetDateTime) -> StoreResult<u64>;
}

const ATTACHMENT_COLUMNS: &str = "a.id, a.case_id, a.field_id, a.file_name, a.content_type, a.size, a.sha256, \
     a.received, a.status, a.created_by, a.created_at, a.verified_at";

/// Builds `SELECT <attachment> FROM attachments a JOIN cases c ... WHERE a.id = ? AND <scope>`.
fn scoped_attachment(principal: &Principal, id: AttachmentId, action: Action) -> SqlBuilder {
    let mut builder = SqlBuilder::new(&format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = "
    ));
    builder.push_bind(Bind::Uuid(id.0)).push(" AND ");
    scope::push_scope(&mut builder, principal, action);
    builder
}

/// Returns the hex SHA-256 of `chunks`, taken in the order given.
fn sha256_hex<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for chunk in chunks {
        hasher.update(chunk);
    }
    hex::encode(hasher.finalize())
}

macro_rules! attachment_store {
    ($store:ident, $db:ty, $begin_write:literal) => {
        impl $store {
            fn attachment_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Attachment> {
                let status: String = row.try_get("status")?;
                Ok(Attachment {
                    id: AttachmentId(row.try_get("id")?),
                    case_id: CaseId(row.try_get("case_id")?),
                    field_id: row.try_get("field_id")?,
                    file_name: row.try_get("file_name")?,
                    content_type: row.try_get("content_type")?,
                    size: row.try_get("size")?,
                    sha256: row.try_get("sha256")?,
                    received: row.try_get("received")?,
                    status: AttachmentStatus::parse(&status)?,
                    created_by: UserId(row.try_get("created_by")?),
                    created_at: row.try_get("created_at")?,
                    verified_at: row.try_get("verified_at")?,
                })
            }

            /// Reads the chunks of `id` in order, inside `tx`.
            async fn attachment_chunks(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: AttachmentId,
            ) -> StoreResult<Vec<Vec<u8>>> {
                let rows = Self::query(
                    "SELECT data FROM attachment_chunks WHERE attachment_id = $1 ORDER BY chunk_offset",
                )
                .bind(id.0)
                .fetch_all(&mut **tx)
                .await?;
                Ok(rows.iter().map(|row| row.try_get("data")).collect::<Result<Vec<Vec<u8>>, _>>()?)
            }

            /// Reads the attachment inside `tx` without a scope, after the caller's access
            /// was checked in the same transaction.
            async fn attachment_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: AttachmentId,
            ) -> StoreResult<Attachment> {
                let row = Self::query(&format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments a WHERE a.id = $1"))
                    .bind(id.0)
                    .fetch_one(&mut **tx)
                    .await?;
                Self::attachment_from_row(&row)
            }

            /// Hashes the complete upload of `current` inside `tx`: marks it verified on a
            /// match, deletes its chunks on a mismatch.
            async fn verify_attachment(
                tx: &mut sqlx::Transaction<'static, $db>,
                current: Attachment,
                now: OffsetDateTime,
            ) -> StoreResult<Append> {
                let chunks = Self::attachment_chunks(tx, current.id).await?;
                let length: usize = chunks.iter().map(Vec::len).sum();
                let hash = sha256_hex(chunks.iter().map(Vec::as_slice));
                if i64::try_from(length).ok() == Some(current.size) && hash.eq_ignore_ascii_case(&current.sha256) {
                    Self::query("UPDATE attachments SET status = $1, verified_at = $2 WHERE id = $3")
                        .bind(AttachmentStatus::Verified.as_str())
                        .bind(utc(now))
                        .bind(current.id.0)
                        .execute(&mut **tx)
                        .await?;
                    return Ok(Append::Stored(Self::attachment_in(tx, current.id).await?));
                }
                Self::query("DELETE FROM attachment_chunks WHERE attachment_id = $1")
                    .bind(current.id.0)
                    .execute(&mut **tx)
                    .await?;
                Self::query("UPDATE attachments SET received = 0 WHERE id = $1")
                    .bind(current.id.0)
                    .execute(&mut **tx)
                    .await?;
                Ok(Append::HashMismatch(Self::attachment_in(tx, current.id).await?))
            }
        }

        #[async_trait]
        impl AttachmentStore for $store {
            async fn register_attachment(
                &self,
                principal: &Principal,
                attachment: &NewAttachment,
            ) -> StoreResult<Option<Registration>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let mut case = SqlBuilder::new("SELECT c.id FROM cases c WHERE c.id = ");
                case.push_bind(Bind::Uuid(attachment.case_id.0)).push(" AND ");
                scope::push_scope(&mut case, principal, Action::Write);
                if Self::query_built(case).fetch_optional(&mut *tx).await?.is_none() {
                    return Ok(None);
                }

                // A repeated registration (the device lost the first response) inserts nothing
                // and is compared with the stored row below.
                let inserted = Self::query(
                    "INSERT INTO attachments (id, case_id, field_id, file_name, content_type, size, sha256, \
                     received, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(attachment.id.0)
                .bind(attachment.case_id.0)
                .bind(&attachment.field_id)
                .bind(&attachment.file_name)
                .bind(&attachment.content_type)
                .bind(attachment.size)
                .bind(attachment.sha256.to_ascii_lowercase())
                .bind(AttachmentStatus::Uploading.as_str())
                .bind(principal.user_id.0)
                .bind(utc(attachment.now))
                .execute(&mut *tx)
                .await?;
                let stored = Self::attachment_in(&mut tx, attachment.id).await?;
                tx.commit().await?;
                Ok(Some(if inserted.rows_affected() == 1 {
                    Registration::Created(stored)
                } else if stored.same_file_as(attachment) {
                    Registration::Existing(stored)
                } else {
                    Registration::IdTaken
                }))
            }

            async fn attachment(
                &self,
                principal: &Principal,
                id: AttachmentId,
                action: Action,
            ) -> StoreResult<Option<Attachment>> {
                let row = Self::query_built(scoped_attachment(principal, id, action))
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::attachment_from_row).transpose()
            }

            async fn append_attachment(
                &self,
                principal: &Principal,
                id: AttachmentId,
                offset: i64,
                bytes: &[u8],
                now: OffsetDateTime,
            ) -> StoreResult<Option<Append>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let row = Self::query_built(scoped_attachment(principal, id, Action::Write))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(current) = row.as_ref().map(Self::attachment_from_row).transpose()? else {
                    return Ok(None);
                };
                if current.status == AttachmentStatus::Verified || offset != current.received {
                    return Ok(Some(Append::WrongOffset(current)));
                }
                let length = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                if length > current.size - current.received {
                    return Ok(Some(Append::TooLong(current)));
                }

                // The offset in the WHERE clause makes the append a compare-and-set: on
                // PostgreSQL, a second process appending at the same offset waits for this
                // row lock, then finds `received` moved on and updates nothing.
                let moved = Self::query(
                    "UPDATE attachments SET received = received + $1 WHERE id = $2 AND received = $3 AND status = $4",
                )
                .bind(length)
                .bind(id.0)
                .bind(offset)
                .bind(AttachmentStatus::Uploading.as_str())
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    let current = Self::attachment_in(&mut tx, id).await?;
                    return Ok(Some(Append::WrongOffset(current)));
                }
                if length > 0 {
                    Self::query(
                        "INSERT INTO attachment_chunks (attachment_id, chunk_offset, data) VALUES ($1, $2, $3)",
                    )
                    .bind(id.0)
                    .bind(offset)
                    .bind(bytes)
                    .execute(&mut *tx)
                    .await?;
                }

                let current = Self::attachment_in(&mut tx, id).await?;
                let outcome = if current.received == current.size {
                    Self::verify_attachment(&mut tx, current, now).await?
                } else {
                    Append::Stored(current)
                };
                tx.commit().await?;
                Ok(Some(outcome))
            }

            async fn attachment_content(
                &self,
                principal: &Principal,
                id: AttachmentId,
            ) -> StoreResult<Option<(Attachment, Vec<u8>)>> {
                let mut tx = self.pool.begin().await?;
                let row = Self::query_built(scoped_attachment(principal, id, Action::Read))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(attachment) = row.as_ref().map(Self::attachment_from_row).transpose()? else {
                    return Ok(None);
                };
                if attachment.status != AttachmentStatus::Verified {
                    return Ok(None);
                }
                let bytes = Self::attachment_chunks(&mut tx, id).await?.concat();
                tx.commit().await?;
                Ok(Some((attachment, bytes)))
            }

            async fn purge_unfinished_uploads(&self, before: OffsetDateTime) -> StoreResult<u64> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                Self::query(
                    "DELETE FROM attachment_chunks WHERE attachment_id IN \
                     (SELECT id FROM attachments WHERE status = 'uploading' AND created_at < $1)",
                )
                .bind(utc(before))
                .execute(&mut *tx)
                .await?;
                let deleted = Self::query("DELETE FROM attachments WHERE status = 'uploading' AND created_at < $1")
                    .bind(utc(before))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(deleted)
            }
        }
    };
}

attachment_store!(SqliteStore, sqlx::Sqlite, "BEGIN IMMEDIATE");
attachment_store!(PostgresStore, sqlx::Postgres, "BEGIN");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_joins_chunks_in_order() {
        let whole = sha256_hex([b"hello world".as_slice()]);
        let split = sha256_hex([b"hello ".as_slice(), b"world".as_slice()]);
        assert_eq!(whole, split);
        assert_eq!(whole, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    }
}
