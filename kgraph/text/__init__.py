"""Reading prose: hedge and booster cues, the word lexicon, sentence splitting, and the
analysis of a sentence into mentions and cues (used by the graph, the audit and the writers)."""
