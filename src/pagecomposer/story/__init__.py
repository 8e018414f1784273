"""Articles: Markdown with YAML front matter -> a Story of typed blocks with inline runs."""
