#pragma once
/// @file core/requires_cxx20.hpp
/// Stops a build below C++20 with one line saying so, instead of hundreds of errors from the
/// concepts and `<=>` further down. Every header that includes no other pinnacle header includes
/// this one first, so it is seen before any C++20 code.

// MSVC keeps __cplusplus at 199711L unless /Zc:__cplusplus is given; _MSVC_LANG is the real level.
#if defined(_MSVC_LANG)
#define PINNACLE_DETAIL_CPLUSPLUS _MSVC_LANG
#else
#define PINNACLE_DETAIL_CPLUSPLUS __cplusplus
#endif

#if PINNACLE_DETAIL_CPLUSPLUS < 202002L
#error "pinnacle requires C++20 or later: compile with -std=c++20 (MSVC: /std:c++20), or link the pinnacle::pinnacle CMake target, which asks for it"
// #error does not stop GCC or clang; a missing include is fatal, so nothing below is compiled.
#include "pinnacle_stops_here_because_cxx20_is_required"
#endif

#undef PINNACLE_DETAIL_CPLUSPLUS
