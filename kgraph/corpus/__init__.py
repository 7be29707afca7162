"""The corpus stage: reading record files into typed records and checking them (`load`,
`check`), with the schema, findings, cache, watch sessions and quote search they use."""
