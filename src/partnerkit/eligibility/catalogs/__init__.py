"""Vendor catalogues written as data: Huawei's paths and programmes, Alibaba's qualifications.

Each catalogue is a :class:`~partnerkit.eligibility.programmes.Programme` built
from requirement values only; the same engine evaluates a vendor's and an
integrator's own programme (which can be a JSON file).
"""

from partnerkit.eligibility.catalogs import alibaba, huawei

__all__ = ["alibaba", "huawei"]
