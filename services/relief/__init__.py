"""Relief (社会救助): households, eligibility on effective-dated standards, applications and payments."""
