"""Placing composed text and boxes on the page grid."""
