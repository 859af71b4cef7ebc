"""CFN Doctor's Qt views.  They know the core's documents and findings, never file
formats: all reading and writing goes through :mod:`app`.

- ``session`` holds the open document, its undo stack and its findings; ``controller``
  owns the session and the file (open, save, watch, recover) and asks the user through a
  ``prompter``, which ``dialogs`` answers with message boxes and file dialogs.
- ``main_window`` composes the views — ``template_browser``, ``property_panel``,
  ``source_view``, ``findings_panel``, ``start_page``, ``status_bar`` — and the menus and
  the toolbar that ``actions`` declares as a table.
"""
