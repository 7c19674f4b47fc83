"""Sphinx configuration for partnerkit's documentation."""

from __future__ import annotations

project = "partnerkit"
author = "partnerkit developers"
copyright = "2026, partnerkit developers"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "partnerkit"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False
# Docstring examples run under pytest --doctest-modules with their module globals;
# the doctest builder runs the {doctest} blocks of the pages.
doctest_test_doctest_blocks = ""
suppress_warnings = ["myst.header"]
