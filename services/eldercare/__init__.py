"""Eldercare (智慧养老): institutions, beds, assignment and occupancy."""
