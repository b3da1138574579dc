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

__all__ = ["SnncDevice", "Refused"]
