set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_mnist_deep_svdd_soft.png'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
$S1 << EOD
1 210.33719380696616
2 38.811009089152016
3 8.81304963429769
EOD
set title "MNIST: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder", $S1 using 1:2 with lines lw 2 title "class 3 φ"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_mnist_deep_svdd_soft.svg'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
$S1 << EOD
1 210.33719380696616
2 38.811009089152016
3 8.81304963429769
EOD
set title "MNIST: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder", $S1 using 1:2 with lines lw 2 title "class 3 φ"

unset output
reset
