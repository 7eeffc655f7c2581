"""All tables of the records store in one ``MetaData``: the schema modules register themselves on import."""

from observatory.store import (
    access_schema,
    ewa_schema,
    mapping_schema,
    policy_schema,
    release_schema,
    reporting_schema,
    review_schema,
    schema,
)

metadata = schema.Base.metadata
SCHEMA_MODULES = (
    schema,
    reporting_schema,
    policy_schema,
    ewa_schema,
    access_schema,
    mapping_schema,
    release_schema,
    review_schema,
)
