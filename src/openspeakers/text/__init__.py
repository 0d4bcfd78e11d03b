"""Text as it will be spoken: Markdown and emoji out, numbers, dates, money... in words."""
