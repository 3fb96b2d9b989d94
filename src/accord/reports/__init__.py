"""Read-only monitoring reports (daily), rendered offline as HTML with SVG charts, and PDF."""
