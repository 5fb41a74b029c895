"""Running the site: `serve` and the `worker` it starts, `status`, and the health check a load
balancer polls; the app that composes the features into processes."""
