-- Narrative families (merge stage): clusters that make one claim are one narrative, counted, tracked
-- and reported once; the clusters it joined stay visible as its sub-narratives.
ALTER TABLE narratives ADD COLUMN parent_id VARCHAR;    -- NULL: a top-level narrative; else its family's id
ALTER TABLE narratives ADD COLUMN kind VARCHAR;         -- claim | no_claim (handles only, hashtag spam); NULL before 0007
ALTER TABLE assignments ADD COLUMN sub_id VARCHAR;      -- the post's sub-narrative; NULL when its family has none
