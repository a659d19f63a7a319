-- The daily reconciliation (issue 21) reads the payments that reached a final status on one Lagos day: by kind and
-- status, a range of updated_at (a payment in a final status is written again only by its next move, so its
-- updated_at is when it got there). payments_kind_status orders by created_at, which a day's settlements do not
-- follow: a deposit opened yesterday and paid today, a withdrawal reviewed for a day.
CREATE INDEX payments_kind_status_updated ON payments (kind, status, updated_at);
