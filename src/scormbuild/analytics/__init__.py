"""What learners did, read back from where it was recorded: `scormbuild report`.

The pipeline, one module per job:

* ``sources``: where learner data comes from. ``lrs`` reads an xAPI LRS page by page,
  ``moodle`` reads Moodle's SCORM report downloads. Both yield ``events.Event`` one at a
  time, in the course's own ids (every mapping the runtime applies is undone there).
* ``coursemap``: the course source, so that every id is shown with its scene, choice
  text and right answer.
* ``store``: events go into a SQLite file in a temporary folder as they stream in,
  so memory does not grow with the number of statements; ``summary`` then asks it
  what the report shows (filters by date, group and attempt are applied there).
* ``html``: the self-contained HTML report; ``learners`` the per-learner table, CSV and JSON.
"""
