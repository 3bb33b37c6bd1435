"""jamlik.steering"""
