"""Tests of the class deployment: hub values, nbgitpuller links, hosted notebooks, a real hub."""
