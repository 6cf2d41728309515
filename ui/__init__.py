"""The aiogram presentation: callback data, states, screens and cards, keyboards, the one
edit-or-send helper, middlewares and filters. Services below it return plain results."""
