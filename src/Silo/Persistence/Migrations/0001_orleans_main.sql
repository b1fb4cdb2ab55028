-- UFBrowsers migration 0001: the Orleans ADO.NET query registry.
--
-- Contract: Microsoft.Orleans.*.AdoNet 10.4.2 read their SQL from a table named OrleansQuery
-- ("SELECT QueryKey, QueryText FROM OrleansQuery") and run each QueryText with named
-- parameters (@Name). Migrations 0002-0004 fill it with this project's implementation of
-- every query key those providers require.

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
