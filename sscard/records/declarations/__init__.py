"""Monthly declarations (月度申报): file formats as plugins (`registry`), the services that declare and
confirm (`services`), what the employer's pages read (`selectors`) and the pages (`views`). The rules of the
lines are pure Python in `sscard.domain.declaration`."""
