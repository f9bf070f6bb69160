"""Sphinx configuration of the course website, one language edition per build.

``site/build.py`` runs ``sphinx-build -c site`` twice, with ``COURSE_SITE_LANG``
set to ``zh`` and then ``en``, on the prepared sources in
``build/site-src/LANG`` (executed notebooks, index page, glossary).
"""

from __future__ import annotations

import os

LANG = os.environ.get("COURSE_SITE_LANG", "zh")
if LANG not in ("zh", "en"):
    raise ValueError(f"COURSE_SITE_LANG must be 'zh' or 'en', got {LANG!r}")
ZH = LANG == "zh"
OTHER = "en" if ZH else "zh"

TITLES = {
    "zh": "卷积神经网络：PaddlePaddle 3 双语课程",
    "en": "Convolutional neural networks with PaddlePaddle 3",
}
project = TITLES[LANG]
author = "CNN course"
copyright = "the course authors; text and code under the MIT license"
language = "zh_CN" if ZH else "en"
html_search_language = "zh" if ZH else "en"  # Chinese search splits words with jieba

extensions = ["myst_nb"]
nb_execution_mode = "off"  # the notebooks were executed by course_utils.nbexec
myst_enable_extensions = ["dollarmath"]
nb_merge_streams = True
suppress_warnings = ["mystnb.unknown_mime_type"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]

html_theme = "furo"
html_title = project
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
# MathJax from the pinned sphinx-mathjax-offline package, copied by build.py: no CDN.
mathjax_path = "mathjax/tex-svg.js"
html_theme_options = {
    "announcement": "course",  # replaced by the note and language switch in page.html
    "top_of_page_buttons": [],
}
html_context = {
    "course_lang": LANG,
    "other_lang": OTHER,
    "other_lang_name": "English" if ZH else "中文",
    "other_lang_tag": "en" if ZH else "zh-CN",
    "switch_title": "Read this page in English" if ZH else "阅读本页的中文版",
    "mode_note": (
        "本站的输出来自快速模式（COURSE_QUICK=1）的一次执行：训练只用一个小子集跑 1 轮，"
        "准确率低于正文给出的完整模式结果。交互控件显示为初始状态的静态图。"
        if ZH
        else "Outputs come from one run in quick mode (COURSE_QUICK=1): one epoch on a small "
        "subset, so accuracies are below the full-mode results in the text. Widgets are "
        "still images of their first state."
    ),
}

if ZH:  # jieba splits Chinese for the search index; its start-up notes are noise here
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


def setup(app):
    """Work around Sphinx 9.0.4's Chinese search naming a JS stemmer it never ships.

    Its ``language_data.js`` ends with ``window.Stemmer = ChineseStemmer`` while the
    code above that line defines ``EnglishStemmer`` (Latin words in Chinese pages are
    stemmed as English): the search page then fails with a ReferenceError.
    """
    if ZH:
        from sphinx.search.zh import SearchChinese

        class SearchChineseWithStemmer(SearchChinese):
            language_name = "English"  # the name of the JS stemmer that is shipped

        app.add_search_language(SearchChineseWithStemmer)
