"""The load stage: the project's files → a Project of typed, located values (content.model).

project.load_project is the stage; config, sources, topics and entities read one kind of file
each, through the field declarations of schema.py. Nothing here looks inside a seed beyond
decoding it: anchoring quotes is the next stage's job.
"""
