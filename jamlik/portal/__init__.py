"""jamlik.portal"""
