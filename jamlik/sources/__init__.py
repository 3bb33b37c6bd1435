"""jamlik.sources"""
