DROP TABLE resource_accesses;
DROP TABLE resource_shares;
DROP TABLE resource_tags;
DROP TABLE resources;
