"""What pages and data documents show alike: dates, terms as view objects, table cells, the dataset's schema.org description."""
