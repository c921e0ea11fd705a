"""Desktop-side printing: the thermal receipt raster drawn by Qt."""
