"""The Alphabetic Index, the External Cause Index and word search over a release."""
