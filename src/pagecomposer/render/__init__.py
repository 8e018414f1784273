"""Turning display lists into files: PDF now, previews later."""
