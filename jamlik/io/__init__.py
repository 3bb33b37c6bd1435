"""jamlik.io"""
