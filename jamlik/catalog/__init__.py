"""jamlik.catalog"""
