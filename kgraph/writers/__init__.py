"""The writers' tools: find the claims a sentence makes, check a draft, cite a claim, and
measure the matcher against labelled sentences."""
