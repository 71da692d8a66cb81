-- Coordination networks (narratives.coordination): several kinds per run (co_post, co_repost, co_hashtag,
-- co_link). Replaces the single copy-paste grouping of 0005: its groups become co_post groups.
CREATE TABLE coordination_group (
    run_id       VARCHAR NOT NULL,
    group_id     VARCHAR NOT NULL,         -- '<network>-' + hash of the accounts, e.g. post-1a2b3c4d5e
    network      VARCHAR NOT NULL,         -- co_post | co_repost | co_hashtag | co_link
    n_posts      BIGINT NOT NULL,          -- evidence posts
    n_accounts   BIGINT NOT NULL,
    accounts     VARCHAR[],
    first_at     TIMESTAMP NOT NULL,       -- UTC, naive
    last_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, group_id)
);

-- The evidence: each post behind a kept edge of a group, and what it shared.
CREATE TABLE coordination_post (
    run_id         VARCHAR NOT NULL,
    network        VARCHAR NOT NULL,
    group_id       VARCHAR NOT NULL,
    platform       VARCHAR NOT NULL,
    post_id        VARCHAR NOT NULL,
    author_handle  VARCHAR,
    created_at     TIMESTAMP,
    object         VARCHAR,                -- the shared text (co_post), reposted id or text, hashtags, URL
    PRIMARY KEY (run_id, network, platform, post_id)
);

-- The account network: one row per kept edge.
CREATE TABLE coordination_edge (
    run_id     VARCHAR NOT NULL,
    network    VARCHAR NOT NULL,
    account_a  VARCHAR NOT NULL,           -- account_a < account_b
    account_b  VARCHAR NOT NULL,
    weight     BIGINT NOT NULL,            -- distinct objects the two co-acted on within the window
    first_at   TIMESTAMP NOT NULL,
    last_at    TIMESTAMP NOT NULL,
    group_id   VARCHAR NOT NULL,
    PRIMARY KEY (run_id, network, account_a, account_b)
);

INSERT INTO coordination_group
SELECT run_id, group_id, 'co_post', n_posts, n_accounts, accounts, first_at, last_at FROM coordination_groups;
INSERT INTO coordination_post
SELECT run_id, 'co_post', group_id, platform, post_id, author_handle, created_at, NULL FROM coordination;
DROP TABLE coordination;
DROP TABLE coordination_groups;
