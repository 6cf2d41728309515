"""The composition root: settings loaded, services built and wired to the routers, the process
run and stopped. Nothing below imports it."""
