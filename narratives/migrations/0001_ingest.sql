-- Posts as ingested, their gold labels (labeled sets only, never read by the pipeline),
-- rejected rows with their reason, and one record per ingested file.
CREATE SEQUENCE ingest_id_seq START 1;

CREATE TABLE ingests (
    ingest_id    BIGINT PRIMARY KEY DEFAULT nextval('ingest_id_seq'),
    file         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    format       VARCHAR NOT NULL,
    platform     VARCHAR,
    rows_read    BIGINT NOT NULL DEFAULT 0,
    stored       BIGINT NOT NULL DEFAULT 0,
    duplicates   BIGINT NOT NULL DEFAULT 0,
    rejected     BIGINT NOT NULL DEFAULT 0,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);

CREATE TABLE posts (
    platform      VARCHAR NOT NULL,
    post_id       VARCHAR NOT NULL,
    author_id     VARCHAR,
    author_handle VARCHAR,
    created_at    TIMESTAMP NOT NULL,      -- UTC, naive
    text          VARCHAR NOT NULL,
    text_hash     VARCHAR NOT NULL,        -- narratives.text.text_hash(text)
    lang          VARCHAR,
    is_repost     BOOLEAN NOT NULL DEFAULT FALSE,
    repost_of     VARCHAR,
    quote_of      VARCHAR,
    reply_to      VARCHAR,
    likes         BIGINT,
    reposts       BIGINT,
    replies       BIGINT,
    quotes        BIGINT,
    views         BIGINT,
    url           VARCHAR,
    hashtags      VARCHAR[],
    source_file   VARCHAR,
    source_line   BIGINT,
    ingest_id     BIGINT,
    PRIMARY KEY (platform, post_id)
);

CREATE TABLE gold (
    platform     VARCHAR NOT NULL,
    post_id      VARCHAR NOT NULL,
    narrative    VARCHAR,                  -- taxonomy id or 'none'
    targets      VARCHAR[],                -- candidate ids
    stance       JSON,                     -- {candidate_id: against|favor|neutral}
    coordinated  BOOLEAN,
    PRIMARY KEY (platform, post_id)
);

CREATE TABLE rejects (
    ingest_id    BIGINT,
    source_file  VARCHAR NOT NULL,
    line         BIGINT,
    field        VARCHAR,                  -- column (or JSON key) at fault, NULL for the whole row
    reason       VARCHAR NOT NULL,         -- short fixed phrase, e.g. 'unparseable date', 'empty text'
    detail       VARCHAR,                  -- the offending value or parser message
    raw          VARCHAR                   -- the row as read (first 10,000 characters)
);
