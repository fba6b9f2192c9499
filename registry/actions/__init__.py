"""The actions of :class:`registry.facade.Registry`, grouped by what they are about.

Each module holds one mixin over :class:`registry.storage.runtime.Runtime`; ``Registry`` combines them,
so a reader still learns everything the registry can do from one class (``help(Registry)``), while no
file grows past a few hundred lines as capabilities are added.
"""
