-- Coordinated groups a run flagged (narratives.coordination): one row per group, one per member post.
CREATE TABLE coordination_groups (
    run_id       VARCHAR NOT NULL,
    group_id     VARCHAR NOT NULL,         -- 'g' + hash of the member keys
    n_posts      BIGINT NOT NULL,
    n_accounts   BIGINT NOT NULL,
    accounts     VARCHAR[],
    first_at     TIMESTAMP NOT NULL,       -- UTC, naive
    last_at      TIMESTAMP NOT NULL,
    method       VARCHAR NOT NULL,         -- text_hash | embedding | text_hash+embedding
    PRIMARY KEY (run_id, group_id)
);

CREATE TABLE coordination (
    run_id         VARCHAR NOT NULL,
    group_id       VARCHAR NOT NULL,
    platform       VARCHAR NOT NULL,
    post_id        VARCHAR NOT NULL,
    author_handle  VARCHAR,
    created_at     TIMESTAMP,
    PRIMARY KEY (run_id, platform, post_id)  -- a post belongs to at most one group
);
