-- Web push: the browsers' push subscriptions of each user, and the deliveries of notifications
-- to them. A notification is claimed once (`pushed_at`), which makes one delivery row per
-- subscription of its recipient; several server processes share the work through these rows.

-- `endpoint` is the push service URL the browser gave. It is a capability: whoever knows it can
-- send to that browser, so it is never logged. `p256dh` and `auth` are the browser's keys for
-- the payload encryption (RFC 8291), base64url as the browser sent them.
CREATE TABLE push_subscriptions (
    id                  UUID PRIMARY KEY,
    user_id             UUID NOT NULL REFERENCES users (id),
    endpoint            TEXT NOT NULL UNIQUE,
    p256dh              TEXT NOT NULL,
    auth                TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    -- A short description of the last failed delivery, such as 'HTTP 503'; NULL after a success.
    last_error          TEXT,
    -- Failed deliveries since the last success.
    failures            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- When the push worker claimed the notification. Rows written before web push existed count
-- as handled, so an upgrade does not push old news.
ALTER TABLE notifications ADD COLUMN pushed_at TIMESTAMPTZ;
UPDATE notifications SET pushed_at = created_at;
CREATE INDEX notifications_unpushed ON notifications (created_at) WHERE pushed_at IS NULL;

-- One notification still to send to one subscription. `next_attempt_at` is when a worker may
-- take it: a worker that takes it moves it forward by a lease, so a crashed worker's rows are
-- taken again later, and a failed attempt moves it by the retry backoff.
CREATE TABLE push_deliveries (
    notification_id     UUID NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    subscription_id     UUID NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (notification_id, subscription_id)
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at);
