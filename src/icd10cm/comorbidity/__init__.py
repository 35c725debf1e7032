"""Comorbidity measures: the AHRQ Elixhauser Comorbidity Software Refined (CMR) and the
Charlson comorbidity index (Quan et al. 2005), applied release by release.

:mod:`~icd10cm.comorbidity.maps` reads the bundled maps (made from the official AHRQ
zips and the Charlson document by ``tools/icd10cm_build``), :mod:`.codes` turns the
input into codes of a release, and :mod:`.elixhauser` and :mod:`.charlson` compute the
measures, for one patient or, through :mod:`icd10cm.frame`, for a claims table.
"""
