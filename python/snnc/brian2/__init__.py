"""Brian2 scripts on snnc: `import snnc.brian2`, then `set_device('snnc')`.

    from brian2 import *
    import snnc.brian2
    set_device('snnc')
    ...                       # the script as it was
    run(1*second)             # runs on snnc; G.v, S.w, mon.t, mon.i as in Brian2

Brian2 builds the network (objects, connect, initial values) as on its
runtime device; each run() is snnc's. What the device cannot run yet is
refused at run() with a NotImplementedError naming the feature and the
object. See docs/brian2.md.
"""

from brian2.devices.device import all_devices

from .device import SnncDevice
from .translate import Refused

all_devices["snnc"] = SnncDevice()


def export(path, network=None, duration=None, namespace=None, level=0):
    """Writes a Brian2 network (default: the objects a `run()` here would
    collect) as a readable snnc model file at `path`, with its data files
    beside it, the current values as statements before the first run, and
    `run duration` if a duration is given. Refuses what the device refuses.
    Returns the files written."""
    from brian2.core.magic import collect
    from brian2.core.namespace import get_local_namespace
    from brian2.core.network import Network

    from .translate import export as _export

    if network is None:
        network = Network(collect(level=level + 1))
    if namespace is None:
        namespace = get_local_namespace(level=level + 1)
    network._clocks = {obj.clock for obj in network.sorted_objects}
    return _export(network, namespace, path, duration)


__all__ = ["SnncDevice", "Refused", "export"]
