"""Conan 2 recipe for pinnacle, a header-only C++20 library: one package for every configuration.

    conan create . -s compiler.cppstd=20

Consumers then use find_package(pinnacle CONFIG REQUIRED) and link pinnacle::pinnacle, exactly as
with the CMake package pinnacle installs itself.
"""
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.scm import Version

required_conan_version = ">=2.0"


class PinnacleConan(ConanFile):
    name = "pinnacle"
    description = "Header-only C++20 market-making library"
    license = "MIT"
    topics = ("market-making", "trading", "order-book", "backtesting", "header-only")
    package_type = "header-library"
    # Settings only to validate the consumer's compiler; package_id() drops them.
    settings = "os", "arch", "compiler", "build_type"
    exports_sources = "include/*", "CMakeLists.txt", "cmake/*", "LICENSE"
    no_copy_source = True

    # The compilers pinnacle is tested with (README, supported compilers).
    _min_compiler_versions = {"gcc": "12", "clang": "14"}

    def set_version(self):
        # One source of truth for the version: project(pinnacle VERSION x.y.z) in CMakeLists.txt.
        cmakelists = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        match = re.search(r"project\(\s*pinnacle\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", cmakelists)
        if not match:
            raise ConanException("cannot find project(pinnacle VERSION ...) in CMakeLists.txt")
        self.version = self.version or match.group(1)

    def package_id(self):
        self.info.clear()

    def validate(self):
        check_min_cppstd(self, 20)
        minimum = self._min_compiler_versions.get(str(self.settings.compiler))
        if minimum and Version(self.settings.compiler.version) < minimum:
            raise ConanInvalidConfiguration(
                f"pinnacle needs {self.settings.compiler} >= {minimum} (C++20 concepts and <=>)")

    def package(self):
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", src=os.path.join(self.source_folder, "include"),
             dst=os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "pinnacle")
        self.cpp_info.set_property("cmake_target_name", "pinnacle::pinnacle")
        self.cpp_info.set_property("pkg_config_name", "pinnacle")
