"""Reference vocabularies: places, substances, units, SDG targets, the UNGASS outcome document."""
