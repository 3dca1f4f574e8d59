import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../connectors/html-text.ts';

describe('decodeEntities', () => {
  it('decodes named, decimal and hexadecimal references', () => {
    expect(decodeEntities('Tom &amp; Jerry &lt;3 &quot;hi&quot; caf&eacute; &hellip;')).toBe('Tom & Jerry <3 "hi" café …');
    expect(decodeEntities('don&#x27;t &#39;quote&#39; a&#x2F;b &#128512;')).toBe("don't 'quote' a/b 😀");
  });

  it('leaves unknown names and bare ampersands alone, and replaces impossible code points', () => {
    expect(decodeEntities('AT&T &unknownthing; fish & chips')).toBe('AT&T &unknownthing; fish & chips');
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });
});

describe('htmlToText', () => {
  it('turns paragraphs and line breaks into newlines and drops inline markup', () => {
    const html = 'First <i>thought</i> about the <a href="https://example.test/x?a=1&amp;b=2" rel="nofollow">bakery</a>.<p>Second paragraph<br>with a break.';
    expect(htmlToText(html)).toBe('First thought about the bakery.\n\nSecond paragraph\nwith a break.');
  });

  it('handles Mastodon-style paragraphs, hashtags and mentions', () => {
    const html = '<p>Lunch at <span class="h-card"><a href="https://social.example/@corner" class="u-url mention">@<span>corner</span></a></span> was great</p><p><a href="https://social.example/tags/pastry" class="mention hashtag" rel="tag">#<span>pastry</span></a></p>';
    expect(htmlToText(html)).toBe('Lunch at @corner was great\n\n#pastry');
  });

  it('collapses whitespace, including source newlines and non-breaking spaces', () => {
    expect(htmlToText('  lots\n\n  of\t\tspace&nbsp;&nbsp;here  ')).toBe('lots of space here');
    expect(htmlToText('<p>a</p>\n\n<p></p><p></p><p>b</p>')).toBe('a\n\nb');
  });

  it('removes scripts, styles, comments and lists items on their own lines', () => {
    expect(htmlToText('<style>p{color:red}</style>Hi<script>alert("x<p>")</script><!-- note --> there')).toBe('Hi there');
    expect(htmlToText('<ul><li>one</li><li>two</li></ul>')).toBe('one\ntwo');
  });

  it('does not turn decoded entities back into markup, and keeps stray angle brackets in text', () => {
    expect(htmlToText('&lt;b&gt;not bold&lt;/b&gt;')).toBe('<b>not bold</b>');
    expect(htmlToText('3 < 5 and 7 > 4')).toBe('3 < 5 and 7 > 4');
  });

  it('keeps attribute values with ">" inside a tag from leaking into the text', () => {
    expect(htmlToText('<a title="a > b" href="/x">link</a> text')).toBe('link text');
  });

  it('reads CDATA sections as text', () => {
    expect(htmlToText('<![CDATA[Fish & <chips>]]>')).toBe('Fish & <chips>');
  });

  it('returns plain text unchanged', () => {
    expect(htmlToText('Just words.')).toBe('Just words.');
    expect(htmlToText('')).toBe('');
  });
});
