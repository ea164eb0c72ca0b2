"""Conan 2 recipe for pinnacle, a header-only C++20 library: one package for every configuration.

    conan create . -s compiler.cppstd=20 --build=missing

(A stock profile from `conan profile detect` says compiler.cppstd=gnu17 for GCC 12; pinnacle needs
20 or gnu20, hence the -s.) `conan create` also builds and runs test_package/, a consumer that finds
the package, links pinnacle::pinnacle and checks PINNACLE_VERSION. Consumers then use
find_package(pinnacle CONFIG REQUIRED) and link pinnacle::pinnacle, exactly as with the CMake
package pinnacle installs itself.
"""
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import valid_min_cppstd
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir
from conan.tools.scm import Version

required_conan_version = ">=2.0"


class PinnacleConan(ConanFile):
    name = "pinnacle"
    description = "Header-only C++20 market-making library: strong price/qty types, order books, " \
                  "strategies, risk checks, a simulated venue and a backtester"
    license = "MIT"
    topics = ("market-making", "trading", "order-book", "backtesting", "header-only")
    # url and homepage are set when the repository is published (see docs/packaging.md).
    package_type = "header-library"
    # Settings validate the consumer's compiler and drive the CMake run that generates
    # pinnacle/version.hpp; package_id() drops them: one package serves every configuration.
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

    def layout(self):
        cmake_layout(self, src_folder=".")

    def package_id(self):
        self.info.clear()

    def validate(self):
        cppstd = self.settings.get_safe("compiler.cppstd")
        if cppstd and not valid_min_cppstd(self, 20):
            raise ConanInvalidConfiguration(
                f"pinnacle requires C++20 but the profile has compiler.cppstd={cppstd}: "
                "add -s compiler.cppstd=20 (or gnu20)")
        minimum = self._min_compiler_versions.get(str(self.settings.compiler))
        if minimum and Version(self.settings.compiler.version) < minimum:
            raise ConanInvalidConfiguration(
                f"pinnacle needs {self.settings.compiler} >= {minimum} (C++20 concepts and <=>)")

    def generate(self):
        tc = CMakeToolchain(self)
        # The library only: pinnacle's tests, examples, benchmarks and docs are not packaged.
        for option in ("TESTS", "EXAMPLES", "BENCHMARKS", "DOCS"):
            tc.cache_variables[f"PINNACLE_BUILD_{option}"] = False
        tc.cache_variables["PINNACLE_INSTALL"] = True
        tc.generate()

    def build(self):
        # Configuring is the whole build: it generates pinnacle/version.hpp from project(VERSION).
        cmake = CMake(self)
        cmake.configure()

    def package(self):
        CMake(self).install()
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        # Conan's CMakeDeps writes the consumers' package files; pinnacle's own are not needed.
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "pinnacle")
        self.cpp_info.set_property("cmake_target_name", "pinnacle::pinnacle")
        self.cpp_info.set_property("pkg_config_name", "pinnacle")
