"""Running the site: health checks for load balancers and how failures are reported."""
