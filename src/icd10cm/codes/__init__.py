"""Operations on codes of a release: parse, validate, 7th characters and placeholder X, I69
dominance."""
