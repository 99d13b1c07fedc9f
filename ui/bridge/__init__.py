"""Where the Qt-free core meets Qt: workers that run core generators off the GUI thread, the
core change notifier that panels subscribe to, and the local API server's controller."""
