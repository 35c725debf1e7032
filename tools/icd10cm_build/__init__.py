"""The data build: turns the official CMS/CDC files in ``cms-raw`` into the generated data
under ``src/icd10cm/data/``. Not part of the wheel; run it with ``tools/build_data.py``."""
