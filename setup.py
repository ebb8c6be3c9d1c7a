"""Packaging beyond pyproject.toml: the shipped notes in content/ go into the wheel as `papernotes_content`.

content/ stays at the top of the repo; setuptools maps it onto the package name. bench/ and tests/
stay out of the wheel. Hidden files and folders (a content/.papernotes index) are never included.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["indexer", "indexer.*", "tui", "tui.*"]), "papernotes_content"],
    package_dir={"papernotes_content": "content"},
    package_data={"tui": ["*.tcss"], "papernotes_content": ["*", "**/*"]},
)
