"""The Table of Drugs and Chemicals and the Neoplasm Table."""
